import { Skeleton, Stack } from '@mantine/core';

/** Placeholder rows of the height the content will take, so the page does not jump when it arrives. */
export function LoadingBlock({ rows = 6, height = 28 }: { rows?: number; height?: number }) {
  return (
    <Stack gap={8} role="status" aria-busy="true" aria-label="Loading">
      {Array.from({ length: rows }, (_, i) => (
        <Skeleton key={i} height={height} radius="sm" />
      ))}
    </Stack>
  );
}
