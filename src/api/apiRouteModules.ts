import type { ApiRouteModule } from './apiContext.ts';
import { callRoutes } from './routes/callRoutes.ts';
import { sessionRoutes } from './routes/sessionRoutes.ts';

/** Every area of the Billing API, one module each (src/api/routes/). */
export const apiRouteModules: readonly ApiRouteModule[] = [sessionRoutes, callRoutes];
