import type { NextRequest } from 'next/server';

/**
 * The browser talks to one origin; this forwards `/api/*` to the backend named by BACKEND_URL at
 * run time (a rewrite would freeze the address at build time).
 */
const backendUrl = () => process.env.BACKEND_URL ?? 'http://127.0.0.1:3001';

const hopByHop = new Set(['connection', 'keep-alive', 'transfer-encoding', 'host', 'content-length']);

async function forward(req: NextRequest): Promise<Response> {
  const target = new URL(req.nextUrl.pathname + req.nextUrl.search, backendUrl());
  const headers = new Headers();
  req.headers.forEach((value, key) => {
    if (!hopByHop.has(key)) {
      headers.set(key, value);
    }
  });
  const hasBody = req.method !== 'GET' && req.method !== 'HEAD';
  try {
    const res = await fetch(target, {
      method: req.method,
      headers,
      body: hasBody ? await req.arrayBuffer() : undefined,
      redirect: 'manual',
      cache: 'no-store',
    });
    const out = new Headers(res.headers);
    out.delete('content-encoding');
    out.delete('content-length');
    return new Response(res.body, { status: res.status, headers: out });
  } catch {
    return Response.json(
      {
        statusCode: 502,
        code: 'BACKEND_UNREACHABLE',
        message: `The backend at ${backendUrl()} did not answer`,
      },
      { status: 502 },
    );
  }
}

export const dynamic = 'force-dynamic';
export { forward as GET, forward as POST, forward as PUT, forward as PATCH, forward as DELETE };
