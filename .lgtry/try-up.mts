import { labUp, labStatus } from '/work/main/src/lab/index.ts';
const n = Number(process.argv[2] ?? 1);
const lab = await labUp({ students: n, state: 'fresh', dir: '/work/main/.lab', log: (l) => console.log(l) });
console.log(lab.timings);
const st = await labStatus(lab.dir);
console.log(st.nodes.slice(0, 3));
const r = await lab.exec(lab.nodes[0]!, 'hostname; cat /etc/hostname; ip -br a; ps -ef | wc -l; rpm -qa | head; ls /usr/local/sbin');
console.log(r);
