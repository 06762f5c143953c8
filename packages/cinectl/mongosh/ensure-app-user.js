// mongosh script run by cinectl: creates the app's user, or resets its password and roles, so that it can do
// everything in the app's own database and nothing anywhere else.
// CINECTL_ADMIN_USER, CINECTL_ADMIN_PASSWORD: the admin account; CINECTL_APP: the app (database and user name);
// CINECTL_APP_PASSWORD: the password in the app's .env.
db.getSiblingDB('admin').auth(process.env.CINECTL_ADMIN_USER, process.env.CINECTL_ADMIN_PASSWORD);
const app = process.env.CINECTL_APP;
const appDb = db.getSiblingDB(app);
const roles = [
  { role: 'readWrite', db: app },
  { role: 'dbAdmin', db: app },
];
if (appDb.getUser(app)) appDb.updateUser(app, { pwd: process.env.CINECTL_APP_PASSWORD, roles });
else appDb.createUser({ user: app, pwd: process.env.CINECTL_APP_PASSWORD, roles });
