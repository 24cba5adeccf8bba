import { createContext, useCallback, useContext, useEffect, useMemo, useState, type ReactNode } from 'react';
import { useQueryClient } from '@tanstack/react-query';
import { api, dataOf, onSignedOut, setCsrfToken } from '../api/apiClient';
import type { Permission, Principal } from '../api/schemas';

export interface Session {
  /** Undefined while the page asks the server who it is; null when no one is signed in. */
  principal: Principal | null | undefined;
  /** Whether the signed-in role may do this: the pages offer only what it may. */
  can: (permission: Permission) => boolean;
  signIn: (name: string, password: string) => Promise<void>;
  signOut: () => Promise<void>;
}

const SessionContext = createContext<Session | undefined>(undefined);

/** Who is signed in (the session cookie), asked of the server once when the page loads. */
export function SessionProvider({ children }: { children: ReactNode }) {
  const [principal, setPrincipal] = useState<Principal | null | undefined>(undefined);
  const queryClient = useQueryClient();

  const forget = useCallback(() => {
    setCsrfToken(undefined);
    setPrincipal(null);
    queryClient.clear();
  }, [queryClient]);

  useEffect(() => {
    let live = true;
    void api.GET('/api/v1/session').then(({ data, response }) => {
      if (!live) return;
      if (response.ok && data) {
        setCsrfToken(data.csrfToken);
        setPrincipal(data);
      } else setPrincipal(null);
    }, () => live && setPrincipal(null));
    const stop = onSignedOut(forget);
    return () => {
      live = false;
      stop();
    };
  }, [forget]);

  const signIn = useCallback(async (name: string, password: string) => {
    const session = await dataOf(api.POST('/api/v1/session', { body: { name, password } }));
    setCsrfToken(session.csrfToken);
    setPrincipal(session);
  }, []);

  const signOut = useCallback(async () => {
    await api.DELETE('/api/v1/session');
    forget();
  }, [forget]);

  const value = useMemo<Session>(
    () => ({ principal, can: (permission) => principal?.permissions.includes(permission) ?? false, signIn, signOut }),
    [principal, signIn, signOut],
  );
  return <SessionContext.Provider value={value}>{children}</SessionContext.Provider>;
}

export function useSession(): Session {
  const session = useContext(SessionContext);
  if (!session) throw new Error('useSession outside SessionProvider');
  return session;
}

/** Shows its children only to a role holding the permission: what a role may not do is not offered. */
export function Allowed({ permission, children }: { permission: Permission; children: ReactNode }) {
  return useSession().can(permission) ? <>{children}</> : null;
}
