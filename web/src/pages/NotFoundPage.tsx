import { Button } from '@mantine/core';
import { Link } from 'react-router';
import { EmptyState } from '../components/EmptyState';

export function NotFoundPage() {
  return (
    <EmptyState title="No such page" action={<Button component={Link} to="/invoices">Go to the invoices</Button>}>
      The address does not name a page of the web admin. Use the navigation on the left.
    </EmptyState>
  );
}
