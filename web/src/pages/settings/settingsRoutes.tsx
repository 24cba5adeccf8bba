import { Navigate, type RouteObject } from 'react-router';
import { ApiKeysPanel } from './ApiKeysPanel';
import { AuditPanel } from './AuditPanel';
import { ProviderPanel } from './ProviderPanel';
import { SettingsPage } from './SettingsPage';
import { UsersPanel } from './UsersPanel';
import { WebhooksPanel } from './WebhooksPanel';

export const settingsRoutes: RouteObject[] = [
  {
    path: 'settings',
    element: <SettingsPage />,
    children: [
      { index: true, element: <Navigate to="provider" replace /> },
      { path: 'provider', element: <ProviderPanel /> },
      { path: 'users', element: <UsersPanel /> },
      { path: 'keys', element: <ApiKeysPanel /> },
      { path: 'webhooks', element: <WebhooksPanel /> },
      { path: 'audit', element: <AuditPanel /> },
    ],
  },
];
