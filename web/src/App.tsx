import { Center, Loader } from '@mantine/core';
import { createBrowserRouter, Navigate, RouterProvider } from 'react-router';
import { AppLayout } from './layout/AppLayout';
import { NotFoundPage } from './pages/NotFoundPage';
import { callDataRoutes } from './pages/calls/callDataRoutes';
import { customerRoutes } from './pages/customers/customerRoutes';
import { invoiceRoutes } from './pages/invoices/invoiceRoutes';
import { planRoutes } from './pages/plans/planRoutes';
import { reportRoutes } from './pages/reports/reportRoutes';
import { SignInPage } from './pages/session/SignInPage';
import { settingsRoutes } from './pages/settings/settingsRoutes';
import { useSession } from './session/SessionProvider';

const router = createBrowserRouter([
  {
    path: '/',
    element: <AppLayout />,
    children: [
      { index: true, element: <Navigate to="/invoices" replace /> },
      ...invoiceRoutes,
      ...customerRoutes,
      ...planRoutes,
      ...reportRoutes,
      ...callDataRoutes,
      ...settingsRoutes,
      { path: '*', element: <NotFoundPage /> },
    ],
  },
]);

/** The signed-in pages, or the sign-in form. */
export function App() {
  const { principal } = useSession();
  if (principal === undefined)
    return (
      <Center mih="100vh">
        <Loader aria-label="Loading" />
      </Center>
    );
  if (principal === null) return <SignInPage />;
  return <RouterProvider router={router} />;
}
