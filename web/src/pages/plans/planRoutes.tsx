import type { RouteObject } from 'react-router';
import { PlanPage } from './PlanPage';
import { PlansPage } from './PlansPage';

export const planRoutes: RouteObject[] = [
  { path: 'plans', element: <PlansPage /> },
  { path: 'plans/:planId', element: <PlanPage /> },
];
