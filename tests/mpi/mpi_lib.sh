# What the mpirun tests share; source it after setting bin and data.
# A scratch workspace, removed on exit; mpirun as root (CI containers) and with
# more ranks than cores (this machine has 2); the flow tests' helpers.
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
export CTML_WORKSPACE=$work/ws
export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1 OMPI_MCA_rmaps_base_oversubscribe=1
failures=0
# shellcheck source=../flow/flow_lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/../flow/flow_lib.sh"
