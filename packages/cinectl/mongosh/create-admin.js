// mongosh script run by cinectl on a MongoDB without users: creates the admin account through the localhost
// exception (which allows exactly this first user). The password comes from the environment, never argv.
// CINECTL_ADMIN_USER, CINECTL_ADMIN_PASSWORD: the account from /etc/cinectl/mongo.json.
db.getSiblingDB('admin').createUser({
  user: process.env.CINECTL_ADMIN_USER,
  pwd: process.env.CINECTL_ADMIN_PASSWORD,
  roles: [{ role: 'root', db: 'admin' }],
});
