'use client';

import type { Me } from '@userstream/contracts';
import { type FormEvent, useEffect, useState, useSyncExternalStore } from 'react';
import { Button } from '@/components/ui/button';
import { Dialog } from '@/components/ui/dialog';
import { controlClass, Field } from '@/components/ui/field';
import { getMe } from '@/lib/api/auth';
import { ApiRequestError } from '@/lib/api/client';
import {
  type AuthRefusal,
  getAuthState,
  getServerAuthState,
  setToken,
  subscribeAuth,
} from '@/lib/auth/auth-token';

const REFUSALS: Record<AuthRefusal, string> = {
  AUTH_TOKEN_MISSING: 'This backend needs an API token. Enter one to continue.',
  AUTH_TOKEN_INVALID: 'The backend does not know this token. Check it and enter it again.',
  AUTH_TOKEN_EXPIRED: 'Your API token has expired. Enter a new one.',
  AUTH_TOKEN_REVOKED: 'Your API token was revoked. Enter a new one.',
  AUTH_FORBIDDEN: 'Your API token does not allow this. Enter one with a higher role.',
  unknown: 'The backend refused the request. Enter an API token.',
};

/**
 * The header's API token control: who is signed in and with which role, sign in and sign out. It opens
 * by itself when a call answers 401. Hidden while the backend runs without authentication.
 */
export function ApiTokenControl() {
  const { token, refusal } = useSyncExternalStore(subscribeAuth, getAuthState, getServerAuthState);
  const [me, setMe] = useState<Me>();
  const [open, setOpen] = useState(false);
  const [draft, setDraft] = useState('');

  useEffect(() => {
    let active = true;
    getMe().then(
      (answer) => active && setMe(answer),
      (error: unknown) => {
        // a 401 is already reported to the store (and so opens the prompt); others leave the control as is
        if (active && error instanceof ApiRequestError && error.status === 401) {
          setMe(undefined);
        }
      },
    );
    return () => {
      active = false;
    };
  }, [token]);

  // a refusal opens the prompt once; dismissing it leaves the "Sign in" button
  useEffect(() => {
    if (refusal) {
      setOpen(true);
    }
  }, [refusal]);

  // nothing until the backend has said it wants tokens: local mode looks as it always did
  if (!refusal && (me === undefined || me.mode === 'none')) {
    return null;
  }

  const signedIn = Boolean(token) && me !== undefined && !refusal;
  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (!draft.trim()) {
      return;
    }
    setToken(draft);
    setDraft('');
    setOpen(false);
  };

  return (
    <div className="flex items-center gap-2 text-xs" data-testid="api-token">
      {signedIn && me ? (
        <>
          <span
            className="rounded-full border border-slate-200 px-2 py-0.5 dark:border-slate-700"
            data-testid="api-token-role"
            title={`Signed in as ${me.name}`}
          >
            {me.name} · <span className="font-semibold">{me.role}</span>
          </span>
          <Button size="sm" variant="ghost" onClick={() => setToken(null)}>
            Sign out
          </Button>
        </>
      ) : (
        <Button size="sm" variant={refusal ? 'primary' : 'secondary'} onClick={() => setOpen(true)}>
          Sign in
        </Button>
      )}
      <Dialog open={open} onClose={() => setOpen(false)} title="API token" testId="api-token-dialog">
        <form noValidate onSubmit={submit} className="space-y-3">
          {refusal && (
            <p role="alert" className="text-sm text-amber-800 dark:text-amber-200">
              {REFUSALS[refusal]}
            </p>
          )}
          <Field
            id="api-token-input"
            label="Token"
            hint="Kept in this browser's local storage and sent as a bearer token."
          >
            {(props) => (
              <input
                {...props}
                type="password"
                autoComplete="off"
                value={draft}
                onChange={(event) => setDraft(event.target.value)}
                className={`${controlClass} font-mono`}
              />
            )}
          </Field>
          <div className="flex justify-end gap-2">
            <Button onClick={() => setOpen(false)}>Cancel</Button>
            <Button type="submit" variant="primary" disabled={!draft.trim()}>
              Sign in
            </Button>
          </div>
        </form>
      </Dialog>
    </div>
  );
}
