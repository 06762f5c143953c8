// mongosh script run by cinectl: drops the app's user and its database.
// CINECTL_ADMIN_USER, CINECTL_ADMIN_PASSWORD: the admin account; CINECTL_APP: the app (database and user name).
db.getSiblingDB('admin').auth(process.env.CINECTL_ADMIN_USER, process.env.CINECTL_ADMIN_PASSWORD);
const app = process.env.CINECTL_APP;
const appDb = db.getSiblingDB(app);
if (appDb.getUser(app)) appDb.dropUser(app);
appDb.dropDatabase();
