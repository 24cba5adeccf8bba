import type { RouteObject } from 'react-router';
import { PageHeader } from '../../components/PageHeader';

function PlansPage() {
  return <PageHeader title="Price plans" />;
}

export const planRoutes: RouteObject[] = [{ path: 'plans', element: <PlansPage /> }];
