import type { RouteObject } from 'react-router';
import { PageHeader } from '../../components/PageHeader';

function CallDataPage() {
  return <PageHeader title="Call data" />;
}

export const callDataRoutes: RouteObject[] = [{ path: 'calls', element: <CallDataPage /> }];
