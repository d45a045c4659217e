/**
 * found / expected in the student's language. A check may write them as {en, ko} (Verdict in course.ts);
 * the day 1-2 checks write plain English with values inside, which this phrasebook renders in Korean:
 * each entry turns one English phrase into Korean and keeps its values (paths, names, numbers) as they
 * are. A string no entry matches stays as written, so a new check's plain string still shows (in English)
 * until it gets {en, ko} or an entry here. Patterns are anchored on literal words and use bounded or
 * non-backtracking groups: these strings carry node text, which is hostile.
 */
import type { CheckResult, Lang } from './types.ts';

type Rule = [RegExp, string];

// Longer phrases first: a rule never sees text an earlier one produced in Korean except where noted.
const RULES: Rule[] = [
  // expected, whole sentences of days 1-2 (checks/day1.spec.ts, checks/day2.spec.ts)
  [/\bunqualified-search-registries = \["quay\.io"\] \(registries\.conf and its drop-ins\)/g, 'unqualified-search-registries = ["quay.io"] (registries.conf 와 그 drop-in 파일)'],
  [/^(\S{1,200}) in local storage \(podman images\)$/g, '$1 이미지가 로컬 저장소에 있음 (podman images)'],
  [/^a running container named (\S{1,200}) from (\S{1,200}) publishing host port (\d+) to container port (\d+)\/tcp$/g, '$2 이미지로 만든 $1 컨테이너가 실행 중이고 호스트 포트 $3 을 컨테이너 포트 $4/tcp 로 공개'],
  [/^an HTTP response from (\S{1,200}) on the node \(any status; the httpd image answers 403\)$/g, '노드에서 $1 의 HTTP 응답 (상태 코드 무관; httpd 이미지는 403 으로 응답)'],
  [/^a podman network named (\S{1,200})$/g, '이름이 $1 인 podman 네트워크'],
  [/^pod (\S{1,200}) with an infra container, on network (\S{1,200}), sharing (.{1,200})$/g, 'infra 컨테이너가 있는 pod $1, 네트워크 $2, 공유 네임스페이스 $3'],
  [/^(\S{1,200}) and (\S{1,200}) in (\S{1,200}), from (\S{1,200}) \(running or exited\)$/g, '$3 안의 $1, $2 ($4 이미지, 실행 중 또는 종료됨)'],
  [/^(\S{1,200}) holding a Pod named (\S{1,200}) and a Service$/g, '$1 파일에 이름이 $2 인 Pod 와 Service 가 있음'],
  [/^eth1 has (\S{1,200}) now; the NetworkManager profile bound to eth1 has ipv4\.method manual, ipv4\.addresses (\S{1,200}), ipv4\.never-default yes, saved to disk$/g,
    'eth1 에 지금 $1 주소가 있고, eth1 에 연결된 NetworkManager 프로필이 ipv4.method manual, ipv4.addresses $2, ipv4.never-default yes 로 디스크에 저장됨'],
  [/^an enabled repo with baseurl (\S{1,200})$/g, 'baseurl 이 $1 인 활성화된 저장소'],
  [/^crio: is-enabled enabled, is-active active$/g, 'crio: is-enabled enabled, is-active active (부팅 시 활성화, 지금 실행 중)'],
  [/^getenforce: Permissive, and SELINUX=permissive in \/etc\/selinux\/config$/g, 'getenforce: Permissive, 그리고 /etc/selinux/config 에 SELINUX=permissive'],
  [/^firewalld not active, and disabled \(or masked, or not installed\)$/g, 'firewalld 가 실행 중이 아니고 비활성화됨 (또는 masked, 또는 미설치)'],
  [/^no active swap, and no uncommented swap line in \/etc\/fstab$/g, '활성 스왑 없음, /etc/fstab 에 주석 처리되지 않은 swap 줄 없음'],
  [/^br_netfilter loaded now, and named in a file under \/etc\/modules-load\.d\/$/g, 'br_netfilter 가 지금 로드되어 있고 /etc/modules-load.d/ 아래 파일에 적혀 있음'],
  [/^net\.ipv4\.ip_forward = 1 now, and set to 1 by a file under \/etc\/sysctl\.d\/ that wins at boot$/g, 'net.ipv4.ip_forward = 1 (지금), 그리고 부팅 시 적용되는 /etc/sysctl.d/ 아래 파일에서 1 로 설정'],
  [/^(\/etc\/containers\/policy\.json) with default \[insecureAcceptAnything\] and no signature requirement for (.{1,300})$/g, '$1 의 default 가 [insecureAcceptAnything] 이고 $2 에 서명 요구 없음'],
  [/ installed \(from the cri-o:1\.24 repo\)$/g, ' 설치됨 (cri-o:1.24 저장소에서)'],
  [/; kubelet enabled$/g, '; kubelet 활성화'],
  [/ in \/etc\/hosts; hostname (\S{1,200})$/g, ' 가 /etc/hosts 에 있음; 호스트 이름 $1'],
  // found, phrases (values between them stay)
  [/^eth1 has no IPv4 address now\b/g, 'eth1 에 지금 IPv4 주소 없음'],
  [/\bkept only in \/run \(not saved: lost at reboot\)/g, '/run 에만 있음 (저장되지 않음: 재부팅하면 사라짐)'],
  [/; profile "/g, '; 프로필 "'],
  [/^(\S{1,200}) in (\/etc\/yum\.repos\.d\/\S+): /g, '$2 의 $1: '],
  [/ \(line (\d+)\)/g, ' ($1 번째 줄)'],
  [/; config: /g, '; 설정 파일: '],
  [/: enabled, baseurl /g, ': 활성화, baseurl '],
  [/^active swap: /g, '활성 스왑: '],
  [/\/etc\/fstab line (\d+):/g, '/etc/fstab $1 번째 줄:'],
  [/\bno file sets it\b/g, '설정하는 파일 없음'],
  [/(\S) sets (\d+)\b/g, '$1 에서 $2 로 설정'],
  [/\b(\d{1,3}(?:\.\d{1,3}){3}) maps to nothing\b/g, '$1 에 대응하는 이름 없음'],
  [/\bhostname is (\S{1,200})/g, '호스트 이름 $1'],
  [/\/etc\/hostname holds /g, '/etc/hostname 내용 '],
  [/; hostname (\S{1,200}), \/etc\/hostname /g, '; 호스트 이름 $1, /etc/hostname '],
  [/; signature rules for no Red Hat registry$/g, '; Red Hat 레지스트리에 대한 서명 규칙 없음'],
  [/; signature rules for /g, '; 서명 규칙 대상: '],
  [/^network (\S{1,200}) \(/g, '네트워크 $1 ('],
  [/^(\S{1,200}) holds /g, '$1 의 컨테이너: '],
  [/, networks \[/g, ', 네트워크 ['],
  [/, shares \[/g, ', 공유 ['],
  [/, image (\S{1,200}), /g, ', 이미지 $1, '],
  [/ installed(?=;)/g, ' 설치됨'],
  [/\bpodman is not installed \(command not found\)/g, 'podman 이 설치되어 있지 않음 (command not found)'],
  [/\brpm is not available \((\S{1,200}) missing\)/g, 'rpm 을 사용할 수 없음 ($1 없음)'],
  [/\b(\S{1,200}) not installed\b/g, '$1 미설치'],
  [/ installed$/g, ' 설치됨'],
  [/^no container named (\S{1,200}); containers: /g, '이름이 $1 인 컨테이너 없음; 컨테이너: '],
  [/\bno container named (\S{1,200})/g, '이름이 $1 인 컨테이너 없음'],
  [/^no pod named (\S{1,200})$/g, '이름이 $1 인 pod 없음'],
  [/^images: none$/g, '이미지: 없음'],
  [/^images: /g, '이미지: '],
  [/\bconnection refused on (\S{1,200})/g, '$1 연결 거부됨'],
  [/\bno answer on (\S{1,200}) within (\d+) s\b/g, '$1 에서 $2 초 안에 응답 없음'],
  [/ does not exist\b/g, ' 없음'],
  [/ is not valid YAML: /g, ' 는 올바른 YAML 이 아님: '],
  [/ is not valid JSON: /g, ' 는 올바른 JSON 이 아님: '],
  [/^(\S{1,200}) sets (\[.{0,2000}\])$/g, '$1 의 설정: $2'],
  [/\bno unqualified-search-registries set in any file\b/g, '어느 파일에도 unqualified-search-registries 설정 없음'],
  [/\bpodman cannot read its registries configuration: /g, 'podman 이 registries 설정을 읽지 못함: '],
  [/ has enabled=0\b/g, ' 에 enabled=0'],
  [/\bno repositories in \/etc\/yum\.repos\.d\b/g, '/etc/yum.repos.d 에 저장소 없음'],
  [/^repositories /g, '저장소 '],
  [/\bsystemctl failed: /g, 'systemctl 실패: '],
  [/\.service does not exist \(is-enabled: /g, '.service 없음 (is-enabled: '],
  [/\bnot loaded\b/g, '로드되지 않음'],
  [/^loaded;/g, '로드됨;'],
  [/\bnot named in \/etc\/modules-load\.d\b/g, '/etc/modules-load.d 에 적혀 있지 않음'],
  [/\bnamed only in masked files\b/g, '가려진(masked) 파일에만 적혀 있음:'],
  [/\bnamed in\b/g, '적힌 곳:'],
  [/^now (\S{1,200}); at boot: /g, '지금 $1; 부팅 시: '],
  [/\bno active swap; no swap line in \/etc\/fstab\b/g, '활성 스왑 없음; /etc/fstab 에 swap 줄 없음'],
  [/\bno published ports\b/g, '공개된 포트 없음'],
  [/\bno containers besides infra\b/g, 'infra 외 컨테이너 없음'],
  [/\bdevice eth1 (없음|does not exist)/g, 'eth1 장치 없음'],
  [/\bno profile\b/g, '프로필 없음'],
  [/\bno IPv4\b/g, 'IPv4 주소 없음'],
  [/\bdid not run\b/g, '실행되지 않음'],
  [/(\S{1,200}) failed$/g, '$1 실패'],
  [/(\S{1,200}) to pass first$/g, '$1 을(를) 먼저 통과해야 함'],
];

/** One string in Korean by the phrasebook (values kept); unmatched text stays as it is. */
export function toKorean(s: string): string {
  // bounded: a flood of node text is cut in the reports anyway, and no rule should see megabytes
  if (s.length > 20_000) return s;
  let out = s;
  for (const [re, to] of RULES) out = out.replace(re, to);
  return out;
}

/** found and expected for `lang`: what the check wrote in that language, else the phrasebook, else as written. */
export function localize(r: Pick<CheckResult, 'found' | 'expected' | 'foundText' | 'expectedText'>, lang: Lang): { found?: string; expected?: string } {
  const pick = (plain: string | undefined, text: CheckResult['foundText']): string | undefined => {
    if (text) return text[lang];
    if (plain === undefined || lang === 'en') return plain;
    return toKorean(plain);
  };
  return { found: pick(r.found, r.foundText), expected: pick(r.expected, r.expectedText) };
}
