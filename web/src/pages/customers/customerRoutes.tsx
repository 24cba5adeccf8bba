import type { RouteObject } from 'react-router';
import { PageHeader } from '../../components/PageHeader';

function CustomersPage() {
  return <PageHeader title="Customers" />;
}

export const customerRoutes: RouteObject[] = [{ path: 'customers', element: <CustomersPage /> }];
