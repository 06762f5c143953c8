// mongosh script run by cinectl: exits 0 when neither the app's user nor its database exists.
// CINECTL_ADMIN_USER, CINECTL_ADMIN_PASSWORD: the admin account; CINECTL_APP: the app (database and user name).
db.getSiblingDB('admin').auth(process.env.CINECTL_ADMIN_USER, process.env.CINECTL_ADMIN_PASSWORD);
const app = process.env.CINECTL_APP;
const hasUser = Boolean(db.getSiblingDB(app).getUser(app));
const hasDatabase = db.adminCommand({ listDatabases: 1, nameOnly: true }).databases.some((found) => found.name === app);
quit(hasUser || hasDatabase ? 1 : 0);
