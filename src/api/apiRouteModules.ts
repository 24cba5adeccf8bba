import type { ApiRouteModule } from './apiContext.ts';
import { customerRoutes } from './routes/customerRoutes.ts';
import { sessionRoutes } from './routes/sessionRoutes.ts';
import { settingsRoutes } from './routes/settingsRoutes.ts';
import { sourceRoutes } from './routes/sourceRoutes.ts';

/** Every area of the Billing API, one module each (src/api/routes/). */
export const apiRouteModules: readonly ApiRouteModule[] = [sessionRoutes, settingsRoutes, customerRoutes, sourceRoutes];
