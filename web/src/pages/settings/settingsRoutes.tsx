import type { RouteObject } from 'react-router';
import { PageHeader } from '../../components/PageHeader';

function SettingsPage() {
  return <PageHeader title="Settings and access" />;
}

export const settingsRoutes: RouteObject[] = [{ path: 'settings', element: <SettingsPage /> }];
