import type { RouteObject } from 'react-router';
import { PageHeader } from '../../components/PageHeader';

function InvoicesPage() {
  return <PageHeader title="Invoices" />;
}

export const invoiceRoutes: RouteObject[] = [{ path: 'invoices', element: <InvoicesPage /> }];
