'use client';

import { useState } from 'react';

const sizes = { sm: 'h-8 w-8 text-xs', lg: 'h-16 w-16 text-xl' } as const;

const initialsOf = (firstName: string, lastName: string) =>
  [firstName, lastName]
    .map((part) => Array.from(part.trim())[0] ?? '')
    .join('')
    .toUpperCase() || '?';

/**
 * A user's picture over their initials: the initials show while it loads (or waits, lazily, off screen)
 * and stay when there is none or it fails, as on offline machines, which cannot reach randomuser.me.
 * Decorative: the name is always shown beside it.
 */
export function UserAvatar({
  src,
  firstName,
  lastName,
  size = 'sm',
}: {
  src: string | null;
  firstName: string;
  lastName: string;
  size?: keyof typeof sizes;
}) {
  // remembered per URL, so another user's picture gets its own chance
  const [failedSrc, setFailedSrc] = useState<string>();
  const picture = src && failedSrc !== src ? src : undefined;
  return (
    <span
      aria-hidden
      data-avatar={picture ? 'picture' : 'initials'}
      className={`${sizes[size]} relative inline-flex shrink-0 items-center justify-center overflow-hidden rounded-full bg-indigo-100 font-semibold text-indigo-700 dark:bg-indigo-950 dark:text-indigo-200`}
    >
      <span data-testid="avatar-initials">{initialsOf(firstName, lastName)}</span>
      {picture && (
        // a plain img, not next/image: its optimiser would fetch the picture from the server, just as unreachable
        <img
          src={picture}
          alt=""
          data-testid="avatar-image"
          loading="lazy"
          decoding="async"
          referrerPolicy="no-referrer"
          onError={() => setFailedSrc(picture)}
          className="absolute inset-0 h-full w-full object-cover"
        />
      )}
    </span>
  );
}
