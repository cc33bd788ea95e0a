// The sign-in screen: the same accounts as the phones. Someone whose
// password was reset is refused a session until they set their own: the
// form to do so comes before anything else, then they are signed in with it.

import { post, setSession } from './api.js';
import { bi, field, formError, h, onSubmit } from './forms.js';

async function signInWith(username, password, signedIn) {
  const s = await post('/v1/console/login', { username, password });
  setSession({ token: s.token, staff: s.staff });
  await signedIn();
}

function renderNewPassword(main, username, current, signedIn) {
  const form = h(
    'form',
    { class: 'card login', id: 'new-password-form' },
    h('h1', {}, ...bi('请设置新密码', 'Set a new password')),
    h('p', {}, ...bi('您的密码已被重置,设置自己的新密码后才能登录。', 'Your password was reset: set your own before you sign in.')),
    field('new_password', '新密码(至少 8 个字符)', 'New password (8 characters or more)', h('input', { type: 'password', autocomplete: 'new-password', autofocus: true })),
    field('again', '再输一次', 'Again', h('input', { type: 'password', autocomplete: 'new-password' })),
    formError(),
    h('button', { type: 'submit' }, ...bi('设置并登录', 'Set it and sign in')),
  );
  onSubmit(form, async (v) => {
    if (v.new_password !== v.again) {
      throw Object.assign(new Error(), { field: 'again', zh: '两次输入的密码不一致', en: 'the two passwords differ' });
    }
    await post('/v1/password', { username, current_password: current, new_password: v.new_password });
    await signInWith(username, v.new_password, signedIn);
  });
  main.replaceChildren(form);
}

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
    try {
      await signInWith(v.username, v.password, signedIn);
    } catch (err) {
      if (err.code !== 'password_change_required') throw err;
      renderNewPassword(main, v.username.trim(), v.password, signedIn);
    }
  });
  main.replaceChildren(form);
}
