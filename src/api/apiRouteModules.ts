import type { ApiRouteModule } from './apiContext.ts';
import { accessRoutes } from './routes/accessRoutes.ts';
import { callRoutes } from './routes/callRoutes.ts';
import { sessionRoutes } from './routes/sessionRoutes.ts';
import { webhookRoutes } from './routes/webhookRoutes.ts';

/** Every area of the Billing API, one module each (src/api/routes/). */
export const apiRouteModules: readonly ApiRouteModule[] = [sessionRoutes, callRoutes, accessRoutes, webhookRoutes];
