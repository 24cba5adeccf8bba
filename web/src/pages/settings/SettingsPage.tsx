import { Tabs } from '@mantine/core';
import { Navigate, Outlet, useLocation, useNavigate } from 'react-router';
import { PageHeader } from '../../components/PageHeader';
import { useSession } from '../../session/SessionProvider';

const adminTabs = ['users', 'keys', 'webhooks', 'audit'];

/** Settings and access: the provider's details for everyone who may read; users, keys, webhooks and the audit log for administrators only. */
export function SettingsPage() {
  const { can } = useSession();
  const navigate = useNavigate();
  const tab = useLocation().pathname.split('/')[2] ?? 'provider';
  const admin = can('administer');
  if (!admin && adminTabs.includes(tab)) return <Navigate to="/settings/provider" replace />;
  return (
    <>
      <PageHeader title="Settings & access" description={admin ? 'The provider’s details, who may sign in, API keys, webhooks and the audit log.' : 'The provider’s details as invoices print them.'} />
      <Tabs value={tab} onChange={(value) => value && void navigate(`/settings/${value}`)} mb="md">
        <Tabs.List>
          <Tabs.Tab value="provider">Provider</Tabs.Tab>
          {admin && (
            <>
              <Tabs.Tab value="users">Users</Tabs.Tab>
              <Tabs.Tab value="keys">API keys</Tabs.Tab>
              <Tabs.Tab value="webhooks">Webhooks</Tabs.Tab>
              <Tabs.Tab value="audit">Audit log</Tabs.Tab>
            </>
          )}
        </Tabs.List>
      </Tabs>
      <Outlet />
    </>
  );
}
