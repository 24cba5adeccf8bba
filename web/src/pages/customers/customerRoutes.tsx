import type { RouteObject } from 'react-router';
import { CustomerPage } from './CustomerPage';
import { CustomersPage } from './CustomersPage';

export const customerRoutes: RouteObject[] = [
  { path: 'customers', element: <CustomersPage /> },
  { path: 'customers/:customerId', element: <CustomerPage /> },
];
