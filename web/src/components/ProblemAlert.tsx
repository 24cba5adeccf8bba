import { Alert, List, Text } from '@mantine/core';
import { ProblemError } from '../api/ProblemError';

/** An error as the operator can act on it: what is wrong, which field, what is allowed. */
export function ProblemAlert({ error, title }: { error: unknown; title?: string }) {
  if (error === null || error === undefined) return null;
  const problem = error instanceof ProblemError ? error.problem : undefined;
  return (
    <Alert color="red" title={title ?? problem?.title ?? 'Something went wrong'} role="alert">
      <Text size="sm">{problem?.detail ?? (error instanceof Error ? error.message : String(error))}</Text>
      {problem?.field && (
        <Text size="sm" mt={4}>
          Field: <code>{problem.field}</code>
        </Text>
      )}
      {problem?.allowed && problem.allowed.length > 0 && (
        <Text size="sm" mt={4}>
          Allowed: {problem.allowed.join(', ')}
        </Text>
      )}
      {problem?.problems && problem.problems.length > 0 && (
        <List size="sm" mt={4}>
          {problem.problems.map((p) => (
            <List.Item key={p}>{p}</List.Item>
          ))}
        </List>
      )}
    </Alert>
  );
}

/** The message of an error for a notification or a field. */
export function problemText(error: unknown): string {
  if (error instanceof ProblemError) return error.problem.detail || error.problem.title;
  return error instanceof Error ? error.message : String(error);
}

/** The error for one form field, when the API named that field. */
export function fieldError(error: unknown, field: string): string | undefined {
  if (!(error instanceof ProblemError)) return undefined;
  const named = error.problem.field;
  return named !== undefined && (named === field || named.endsWith(`.${field}`)) ? error.problem.detail : undefined;
}
