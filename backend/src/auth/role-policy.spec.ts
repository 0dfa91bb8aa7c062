import { ROLES } from '@userstream/contracts';
import { higherRole, isReadMethod, raisingParameters, requiredRole, roleIncludes } from './role-policy.js';

describe('role policy', () => {
  it('orders the roles: admin includes operator, which includes viewer', () => {
    const table = ROLES.map((held) => ROLES.map((needed) => roleIncludes(held, needed)));
    expect(table).toEqual([
      // needed: viewer, operator, admin
      [true, false, false], // viewer
      [true, true, false], // operator
      [true, true, true], // admin
    ]);
    expect(higherRole('viewer', 'admin')).toBe('admin');
    expect(higherRole('operator', 'viewer')).toBe('operator');
  });

  it.each([
    ['GET', 'viewer'],
    ['HEAD', 'viewer'],
    ['get', 'viewer'],
    ['POST', 'operator'],
    ['PUT', 'operator'],
    ['PATCH', 'operator'],
    ['DELETE', 'operator'],
  ])('%s needs %s by default', (method, role) => {
    expect(requiredRole(method)).toBe(role);
    expect(isReadMethod(method)).toBe(role === 'viewer');
  });

  it('lets a route raise its role, never lower it', () => {
    expect(requiredRole('GET', 'admin')).toBe('admin');
    expect(requiredRole('DELETE', 'admin')).toBe('admin');
    expect(requiredRole('POST', 'viewer')).toBe('operator');
    expect(requiredRole('GET', 'operator')).toBe('operator');
  });
});

describe('raisingParameters', () => {
  it('names the role-raising parameters a query sets, however "true" is spelt, and nothing else', () => {
    const raising = ['unmasked', 'email', 'username'];
    expect(raisingParameters({ unmasked: 'yes', email: 'a@b.c', country: 'FR' }, raising)).toEqual([
      'unmasked',
      'email',
    ]);
    for (const off of ['', 'false', '0']) {
      expect(raisingParameters({ unmasked: off }, raising)).toEqual([]);
    }
    // a repeated parameter is an array: set
    expect(raisingParameters({ username: ['a', 'b'] }, raising)).toEqual(['username']);
    expect(raisingParameters({ unmasked: 'true' }, undefined)).toEqual([]);
    expect(raisingParameters(undefined, raising)).toEqual([]);
  });
});
