import { Tabs } from '@mantine/core';
import { Navigate, Outlet, useLocation, useNavigate } from 'react-router';
import { PageHeader } from '../../components/PageHeader';
import { useSession } from '../../session/SessionProvider';

/** Call data: where calls come from, bringing a file in, and finding calls. One tab per sub-route, so a tab can be linked. */
export function CallDataPage() {
  const { can } = useSession();
  const navigate = useNavigate();
  const tab = useLocation().pathname.split('/')[2] ?? 'sources';
  return (
    <>
      <PageHeader title="Call data" description="The sources of call records, uploads of CDR files and the calls stored." />
      <Tabs value={tab} onChange={(value) => value && void navigate(`/calls/${value}`)} keepMounted={false} mb="md">
        <Tabs.List>
          {can('read') && <Tabs.Tab value="sources">Sources</Tabs.Tab>}
          {can('ingest') && <Tabs.Tab value="upload">Upload a CDR file</Tabs.Tab>}
          {can('read') && <Tabs.Tab value="search">Call search</Tabs.Tab>}
        </Tabs.List>
      </Tabs>
      <Outlet />
    </>
  );
}

/** The ingest role may upload but not read: its first tab is the upload. */
export function FirstCallDataTab() {
  return <Navigate to={useSession().can('read') ? 'sources' : 'upload'} replace />;
}
