import { Tabs } from '@mantine/core';
import { Outlet, useLocation, useNavigate } from 'react-router';
import { PageHeader } from '../../components/PageHeader';

const tabs = [
  { value: 'non-invoiced', label: 'Non-invoiced preview' },
  { value: 'untracked', label: 'Untracked calls' },
  { value: 'usage', label: 'Usage charts' },
];

/** The reports page: one tab per report, each at its own address (reports/non-invoiced, …) so it can be linked. */
export function ReportsLayout() {
  const { pathname } = useLocation();
  const navigate = useNavigate();
  const current = tabs.find((t) => pathname.startsWith(`/reports/${t.value}`))?.value ?? null;
  return (
    <>
      <PageHeader title="Reports" description="What the next invoices would hold, the calls billed to no customer, and each customer's usage." />
      <Tabs value={current} onChange={(value) => value && navigate(`/reports/${value}`)}>
        <Tabs.List>
          {tabs.map((t) => (
            <Tabs.Tab key={t.value} value={t.value}>
              {t.label}
            </Tabs.Tab>
          ))}
        </Tabs.List>
        {/* Every panel exists (the tabs name them in aria-controls); only the current one holds its report. */}
        {tabs.map((t) => (
          <Tabs.Panel key={t.value} value={t.value} pt="md">
            {current === t.value && <Outlet />}
          </Tabs.Panel>
        ))}
      </Tabs>
      {current === null && <Outlet />}
    </>
  );
}
