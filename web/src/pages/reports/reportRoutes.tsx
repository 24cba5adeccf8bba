import { Navigate, type RouteObject } from 'react-router';
import { NonInvoicedPage } from './NonInvoicedPage';
import { ReportsLayout } from './ReportsLayout';
import { UntrackedPage } from './UntrackedPage';
import { UsagePage } from './UsagePage';

export const reportRoutes: RouteObject[] = [
  {
    path: 'reports',
    element: <ReportsLayout />,
    children: [
      { index: true, element: <Navigate to="/reports/non-invoiced" replace /> },
      { path: 'non-invoiced', element: <NonInvoicedPage /> },
      { path: 'untracked', element: <UntrackedPage /> },
      { path: 'usage', element: <UsagePage /> },
    ],
  },
];
