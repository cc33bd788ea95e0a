// The sign-in screen: the same accounts as the phones.

import { post, setSession } from './api.js';
import { bi, field, formError, h, onSubmit } from './forms.js';

export function renderLogin(main, signedIn) {
  const form = h(
    'form',
    { class: 'card login', id: 'login-form' },
    h('h1', {}, ...bi('登录办公台', 'Sign in to the office console')),
    field('username', '用户名', 'Username', h('input', { autocomplete: 'username', autofocus: true })),
    field('password', '密码', 'Password', h('input', { type: 'password', autocomplete: 'current-password' })),
    formError(),
    h('button', { type: 'submit' }, ...bi('登录', 'Sign in')),
  );
  onSubmit(form, async (v) => {
    const s = await post('/v1/console/login', { username: v.username, password: v.password });
    setSession({ token: s.token, staff: s.staff });
    await signedIn();
  });
  main.replaceChildren(form);
}
