import type { ApiRouteModule } from './apiContext.ts';
import { assignmentRoutes } from './routes/assignmentRoutes.ts';
import { planRoutes } from './routes/planRoutes.ts';
import { reportRoutes } from './routes/reportRoutes.ts';
import { sessionRoutes } from './routes/sessionRoutes.ts';
import { verifyRoutes } from './routes/verifyRoutes.ts';

/** Every area of the Billing API, one module each (src/api/routes/). */
export const apiRouteModules: readonly ApiRouteModule[] = [sessionRoutes, planRoutes, assignmentRoutes, reportRoutes, verifyRoutes];
