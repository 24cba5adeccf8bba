import type { ApiRouteModule } from './apiContext.ts';
import { accessRoutes } from './routes/accessRoutes.ts';
import { assignmentRoutes } from './routes/assignmentRoutes.ts';
import { auditRoutes } from './routes/auditRoutes.ts';
import { callRoutes } from './routes/callRoutes.ts';
import { customerRoutes } from './routes/customerRoutes.ts';
import { invoiceRoutes } from './routes/invoiceRoutes.ts';
import { planRoutes } from './routes/planRoutes.ts';
import { ratingRoutes } from './routes/ratingRoutes.ts';
import { reportRoutes } from './routes/reportRoutes.ts';
import { sessionRoutes } from './routes/sessionRoutes.ts';
import { settingsRoutes } from './routes/settingsRoutes.ts';
import { sourceRoutes } from './routes/sourceRoutes.ts';
import { verifyRoutes } from './routes/verifyRoutes.ts';
import { webhookRoutes } from './routes/webhookRoutes.ts';

/** Every area of the Billing API, one module each (src/api/routes/). */
export const apiRouteModules: readonly ApiRouteModule[] = [
  sessionRoutes,
  settingsRoutes,
  customerRoutes,
  sourceRoutes,
  planRoutes,
  assignmentRoutes,
  callRoutes,
  ratingRoutes,
  invoiceRoutes,
  reportRoutes,
  verifyRoutes,
  accessRoutes,
  webhookRoutes,
  auditRoutes,
];
