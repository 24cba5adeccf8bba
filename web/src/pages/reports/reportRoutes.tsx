import type { RouteObject } from 'react-router';
import { PageHeader } from '../../components/PageHeader';

function ReportsPage() {
  return <PageHeader title="Reports" />;
}

export const reportRoutes: RouteObject[] = [{ path: 'reports', element: <ReportsPage /> }];
