import type { RouteObject } from 'react-router';
import { CallDataPage, FirstCallDataTab } from './CallDataPage';
import { CallSearchPanel } from './CallSearchPanel';
import { SourcesPanel } from './SourcesPanel';
import { UploadPanel } from './UploadPanel';

export const callDataRoutes: RouteObject[] = [
  {
    path: 'calls',
    element: <CallDataPage />,
    children: [
      { index: true, element: <FirstCallDataTab /> },
      { path: 'sources', element: <SourcesPanel /> },
      { path: 'upload', element: <UploadPanel /> },
      { path: 'search', element: <CallSearchPanel /> },
    ],
  },
];
