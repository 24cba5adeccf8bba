import { Anchor, Badge, Group, Text, Timeline } from '@mantine/core';
import { IconCalendarEvent } from '@tabler/icons-react';
import { Link } from 'react-router';
import type { CustomerDetails, PlanSummary } from '../../api/schemas';
import { formatDay, formatDayRange } from '../../components/formatDates';
import { EmptyState } from '../../components/EmptyState';

/** The customer's plan assignments, oldest first, the one in force today marked. */
export function PlanTimeline({ customer, plans }: { customer: CustomerDetails; plans: Map<string, PlanSummary> | undefined }) {
  const assignments = customer.assignments;
  if (assignments.length === 0)
    return (
      <EmptyState title="No plan assigned">
        Its calls are rated on no plan (reported as no-plan). Open a price plan and use "Assign to customers" to put {customer.name} on it from a day.
      </EmptyState>
    );
  const currentIndex = assignments.findIndex((a) => a.id === customer.currentAssignmentId);
  return (
    <Timeline active={currentIndex} bulletSize={22} lineWidth={2} aria-label="Plan assignments" data-testid="plan-timeline">
      {assignments.map((a) => {
        const plan = plans?.get(a.planId);
        return (
          <Timeline.Item
            key={a.id}
            bullet={<IconCalendarEvent size={12} aria-hidden />}
            title={
              <Group gap="xs">
                <Anchor component={Link} to={`/plans/${encodeURIComponent(a.planId)}`} fw={600}>
                  {plan?.name ?? a.planId}
                </Anchor>
                {a.id === customer.currentAssignmentId && (
                  <Badge size="sm" color="green" variant="dot">
                    In force today
                  </Badge>
                )}
              </Group>
            }
          >
            <Text size="sm">
              <code>{a.planId}</code>
              {plan && ` · ${plan.currency}`}
            </Text>
            <Text size="sm" c="dimmed" data-testid="assignment-range">
              {a.to === null ? `From ${formatDay(a.from)} (${a.from}), open-ended` : `${formatDayRange(a.from, a.to)} (${a.from} to ${a.to}, exclusive)`}
            </Text>
          </Timeline.Item>
        );
      })}
    </Timeline>
  );
}
