// Preloaded (`node --require`) into the real LRS's process by real-lrs.mjs. The service listens
// with `app.listen(port)`, which binds every interface; this pins each server to 127.0.0.1. It
// also ends the process when the test process that forked it is gone (the IPC channel closes),
// so no LRS outlives its tests.
const net = require("node:net");

const listen = net.Server.prototype.listen;
net.Server.prototype.listen = function listenOnLoopback(...args) {
  if ((typeof args[0] === "number" || /^\d+$/.test(String(args[0]))) && typeof args[1] !== "string") {
    args.splice(1, 0, "127.0.0.1");
  }
  return listen.apply(this, args);
};

process.on("disconnect", () => process.exit(0));
