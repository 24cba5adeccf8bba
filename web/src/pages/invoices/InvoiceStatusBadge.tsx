import { Badge } from '@mantine/core';
import type { Invoice } from '../../api/schemas';

/** Draft (still editable) or approved (numbered, final). */
export function InvoiceStatusBadge({ status }: { status: Invoice['status'] }) {
  return status === 'approved' ? (
    <Badge color="teal.9" variant="filled">
      Approved
    </Badge>
  ) : (
    <Badge color="gray.7" variant="filled">
      Draft
    </Badge>
  );
}
