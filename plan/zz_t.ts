import { loadConfig } from "../config";
import { deploy } from "../program";
import { loadStackConfig, settle, startMocks } from "../tests/mocks";
(async () => {
  const f = loadStackConfig("dev");
  for (let i = 0; i < 4; i++) {
  let t = Date.now();
  await startMocks({ stack: "dev", config: f.config });
  const t1 = Date.now();
  const c = loadConfig();
  deploy(c, { stack: "dev", region: "us-east-1" }); const t2 = Date.now();
  await settle(); 
  console.log("mocks", t1 - t, "deploy", t2 - t1, "settle", Date.now() - t2);
  }
  process.exit(0);
})();
