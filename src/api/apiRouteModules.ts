import type { ApiRouteModule } from './apiContext.ts';
import { invoiceRoutes } from './routes/invoiceRoutes.ts';
import { ratingRoutes } from './routes/ratingRoutes.ts';
import { sessionRoutes } from './routes/sessionRoutes.ts';

/** Every area of the Billing API, one module each (src/api/routes/). */
export const apiRouteModules: readonly ApiRouteModule[] = [sessionRoutes, invoiceRoutes, ratingRoutes];
