import { api, dataOf } from '../../api/apiClient';
import { clientProblem, ProblemError, type Problem } from '../../api/ProblemError';
import type { IngestSummary } from '../../api/schemas';

export interface UploadAnswer {
  format: string;
  outcome: 'read' | 'empty' | 'unreadable';
  summary: IngestSummary;
}

export interface UploadRequest {
  file: File;
  format?: string;
  source?: string;
}

/**
 * Sends a CDR file as the body of POST /api/v1/calls/uploads with XMLHttpRequest, whose upload
 * progress events are the only way a browser reports the bytes sent (fetch has none for a request
 * body). The CSRF token is the session's, read again from GET /api/v1/session rather than taken from
 * the shared client, so nothing new is exposed there.
 */
export async function uploadCallFile(request: UploadRequest, onProgress: (sent: number, total: number) => void, signal?: AbortSignal): Promise<UploadAnswer> {
  const session = await dataOf(api.GET('/api/v1/session'));
  const query = new URLSearchParams({ name: request.file.name });
  if (request.format) query.set('format', request.format);
  if (request.source) query.set('source', request.source);
  return new Promise<UploadAnswer>((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open('POST', `/api/v1/calls/uploads?${query.toString()}`);
    xhr.withCredentials = true;
    xhr.responseType = 'json';
    xhr.setRequestHeader('content-type', request.file.type || 'application/octet-stream');
    if (session.csrfToken) xhr.setRequestHeader('x-csrf-token', session.csrfToken);
    xhr.upload.onprogress = (event) => onProgress(event.loaded, event.lengthComputable ? event.total : request.file.size);
    xhr.upload.onload = () => onProgress(request.file.size, request.file.size);
    xhr.onload = () => {
      const body: unknown = xhr.response;
      if (xhr.status >= 200 && xhr.status < 300) resolve(body as UploadAnswer);
      else if (typeof body === 'object' && body !== null && 'title' in body) reject(new ProblemError(body as Problem));
      else reject(new ProblemError(clientProblem(`http-${xhr.status}`, 'Upload failed', `The server answered ${xhr.status}.`, xhr.status)));
    };
    xhr.onerror = () => reject(new ProblemError(clientProblem('network', 'Upload failed', 'The connection to the server broke during the upload; check the network and upload the file again (records already stored are not stored twice).')));
    xhr.onabort = () => reject(new ProblemError(clientProblem('aborted', 'Upload cancelled', 'The upload was cancelled; nothing after the cut was read.')));
    signal?.addEventListener('abort', () => xhr.abort());
    xhr.send(request.file);
  });
}
