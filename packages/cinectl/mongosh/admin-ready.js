// mongosh script run by cinectl: exits 0 when the admin account named in the environment can log in.
// CINECTL_ADMIN_USER, CINECTL_ADMIN_PASSWORD: the account from /etc/cinectl/mongo.json.
let ready = false;
try {
  ready = db.getSiblingDB('admin').auth(process.env.CINECTL_ADMIN_USER, process.env.CINECTL_ADMIN_PASSWORD).ok === 1;
} catch {
  ready = false;
}
quit(ready ? 0 : 1);
