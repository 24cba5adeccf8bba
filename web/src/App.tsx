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
      { index: true, element: <HomeRedirect /> },
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

/** The first page a role can use: the invoices, or the upload for a role that may only send call data. */
function HomeRedirect() {
  const { can } = useSession();
  return <Navigate to={can('read') ? '/invoices' : '/calls/upload'} replace />;
}

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
