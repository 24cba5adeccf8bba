import { notifications } from '@mantine/notifications';
import { problemText } from './ProblemAlert';

export function notifyDone(message: string): void {
  notifications.show({ color: 'green', message, autoClose: 4000 });
}

export function notifyFailed(error: unknown, title = 'Not done'): void {
  notifications.show({ color: 'red', title, message: problemText(error), autoClose: 10000 });
}
