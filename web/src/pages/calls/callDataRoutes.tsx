import { Navigate, type RouteObject } from 'react-router';
import { CallDataPage } from './CallDataPage';
import { CallSearchPanel } from './CallSearchPanel';
import { SourcesPanel } from './SourcesPanel';
import { UploadPanel } from './UploadPanel';

export const callDataRoutes: RouteObject[] = [
  {
    path: 'calls',
    element: <CallDataPage />,
    children: [
      { index: true, element: <Navigate to="sources" replace /> },
      { path: 'sources', element: <SourcesPanel /> },
      { path: 'upload', element: <UploadPanel /> },
      { path: 'search', element: <CallSearchPanel /> },
    ],
  },
];
