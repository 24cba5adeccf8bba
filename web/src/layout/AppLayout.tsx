import { AppShell, Badge, Burger, Group, Menu, NavLink, Text, UnstyledButton } from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import { IconChevronDown, IconFileInvoice, IconListDetails, IconLogout, IconPhoneCall, IconReportAnalytics, IconSettings, IconUsers } from '@tabler/icons-react';
import { Link, Outlet, useLocation } from 'react-router';
import type { Permission } from '../api/schemas';
import { useSession } from '../session/SessionProvider';

interface Section {
  to: string;
  label: string;
  icon: typeof IconUsers;
  /** Shown to a role holding any of these. */
  permissions: Permission[];
}

const sections: Section[] = [
  { to: '/invoices', label: 'Invoices', icon: IconFileInvoice, permissions: ['read'] },
  { to: '/customers', label: 'Customers', icon: IconUsers, permissions: ['read'] },
  { to: '/plans', label: 'Price plans', icon: IconListDetails, permissions: ['read'] },
  { to: '/reports', label: 'Reports', icon: IconReportAnalytics, permissions: ['read'] },
  { to: '/calls', label: 'Call data', icon: IconPhoneCall, permissions: ['read', 'ingest'] },
  { to: '/settings', label: 'Settings & access', icon: IconSettings, permissions: ['read'] },
];

/** The frame of every page: navigation (a drawer at tablet width), the user menu with the role. */
export function AppLayout() {
  const [opened, { toggle, close }] = useDisclosure();
  const { principal, can, signOut } = useSession();
  const { pathname } = useLocation();
  return (
    <AppShell header={{ height: 56 }} navbar={{ width: 230, breakpoint: 'md', collapsed: { mobile: !opened } }} padding="md">
      <AppShell.Header>
        <Group h="100%" px="md" justify="space-between">
          <Group gap="sm">
            <Burger opened={opened} onClick={toggle} hiddenFrom="md" size="sm" aria-label="Open the navigation" />
            <Text component={Link} to="/" fw={700} size="lg">
              confbill
            </Text>
          </Group>
          <Menu position="bottom-end" withinPortal>
            <Menu.Target>
              <UnstyledButton title={`Signed in as ${principal?.name ?? ''}, role ${principal?.role ?? ''}`} data-testid="user-menu">
                <Group gap={6}>
                  <Text size="sm" fw={500}>
                    {principal?.name}
                  </Text>
                  <Badge variant="light" data-testid="user-role">
                    {principal?.role}
                  </Badge>
                  <IconChevronDown size={14} aria-hidden />
                </Group>
              </UnstyledButton>
            </Menu.Target>
            <Menu.Dropdown>
              <Menu.Label>Role: {principal?.role}</Menu.Label>
              <Menu.Label>May: {principal?.permissions.join(', ')}</Menu.Label>
              <Menu.Divider />
              <Menu.Item leftSection={<IconLogout size={14} />} onClick={() => void signOut()}>
                Sign out
              </Menu.Item>
            </Menu.Dropdown>
          </Menu>
        </Group>
      </AppShell.Header>
      <AppShell.Navbar p="xs" aria-label="Sections">
        {sections
          .filter((s) => s.permissions.some(can))
          .map((s) => (
            <NavLink key={s.to} component={Link} to={s.to} label={s.label} leftSection={<s.icon size={18} aria-hidden />} active={pathname.startsWith(s.to)} onClick={close} />
          ))}
      </AppShell.Navbar>
      <AppShell.Main>
        <Outlet />
      </AppShell.Main>
    </AppShell>
  );
}
