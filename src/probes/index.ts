/** Every probe factory and fact type, one file per fact. */
export * from './types.ts';
export { rpmPackages, type RpmFacts, type RpmPackage } from './rpm.ts';
export {
  registriesConf,
  podmanInfoRegistries,
  parseRegistriesFile,
  type RegistriesFact,
  type RegistriesFile,
  type PodmanRegistriesFact,
} from './registries.ts';
export {
  podmanImages,
  podmanContainers,
  podmanPod,
  podmanNetworks,
  podmanContainer,
  podmanState,
  parsePodmanState,
  normaliseImageRef,
  sameImage,
  findImage,
  findContainer,
  publishes,
  type PortMapping,
  type PodmanImage,
  type PodmanImagesFact,
  type PodmanContainer,
  type PodmanContainersFact,
  type PodMember,
  type PodmanPod,
  type PodmanPodFact,
  type PodmanNetwork,
  type PodmanNetworksFact,
  type PodmanContainerDetail,
  type PodmanContainerFact,
  type PodmanStateQuery,
  type PodmanStateFact,
} from './podman.ts';
export { httpGet, httpLocal, type HttpFact } from './http.ts';
export { eth1, type Eth1Fact, type IpAddress, type NmProfile, type PersistedProfile } from './eth1.ts';
export { yumRepos, type ReposFact, type YumRepo } from './repos.ts';
export { systemdUnits, type SystemdFact, type UnitState } from './systemd.ts';
export { selinux, type SelinuxFact, type SelinuxMode } from './selinux.ts';
export { swap, type SwapFact, type ActiveSwap, type FstabSwap } from './swap.ts';
export { kernelModule, type ModuleFact, type ModuleMention } from './modules.ts';
export { sysctlKey, type SysctlFact, type SysctlAssignment } from './sysctl.ts';
export { hosts, namesFor, resolveFirst, type HostsFact, type HostsEntry } from './hosts.ts';
export { policyJson, type PolicyFact } from './policy.ts';
export { kubeYaml, type KubeYamlFact, type KubeDoc } from './files.ts';
export {
  clusterApi,
  courseApi,
  COURSE_KINDS,
  COURSE_CRDS,
  kubeconfigContext,
  parseConfigView,
  k8sNodeFiles,
  nodeRegistration,
  nodePortHttp,
  clusterConfiguration,
  describeKubectlError,
  kubectlError,
  type ClusterApiFact,
  type ApiRead,
  type K8sObject,
  type KubectlError,
  type K8sNodeFilesFact,
  type NodeRegistrationFact,
  type NodePortFact,
  type KubeconfigContextFact,
} from './k8s.ts';
export { nfsExports, exportLines, parseExportfsS, type NfsFact, type NfsExport, type ExportLine } from './nfs.ts';
