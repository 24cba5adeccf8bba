// The worker thread of parseCmsBody starts here, in plain JavaScript: Node 20 does not apply a loader
// given in a worker's execArgv to its entry (nodejs/node#47747), so the worker registers tsx itself
// before it loads the TypeScript.
import { register } from 'tsx/esm/api';

register();
const { serveCmsParseRequests } = await import('./cmsParseWorker.ts');
serveCmsParseRequests();
