import type { RouteObject } from 'react-router';
import { GenerateInvoicesPage } from './GenerateInvoicesPage';
import { InvoiceListPage } from './InvoiceListPage';
import { InvoicePage } from './InvoicePage';

export const invoiceRoutes: RouteObject[] = [
  { path: 'invoices', element: <InvoiceListPage /> },
  { path: 'invoices/generate', element: <GenerateInvoicesPage /> },
  { path: 'invoices/:invoiceId', element: <InvoicePage /> },
];
