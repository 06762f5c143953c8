// mongosh script run by cinectl: exits 0 when the app's own user logs in with its password and has exactly
// readWrite and dbAdmin on the app's database.
// CINECTL_APP: the app, which names both the database and the user; CINECTL_APP_PASSWORD: its password.
const app = process.env.CINECTL_APP;
let ready = false;
try {
  const appDb = db.getSiblingDB(app);
  if (appDb.auth(app, process.env.CINECTL_APP_PASSWORD).ok === 1) {
    const roles = (appDb.getUser(app)?.roles ?? []).map((role) => `${role.role}@${role.db}`).sort();
    ready = roles.join(',') === [`dbAdmin@${app}`, `readWrite@${app}`].join(',');
  }
} catch {
  ready = false;
}
quit(ready ? 0 : 1);
