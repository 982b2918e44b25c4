{{/* Chart name, truncated to the 63 characters a label value allows. */}}
{{- define "jwt-secret-operator.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/* Full name of the release's objects. */}}
{{- define "jwt-secret-operator.fullname" -}}
{{- if .Values.fullnameOverride }}
{{- .Values.fullnameOverride | trunc 63 | trimSuffix "-" }}
{{- else }}
{{- $name := default .Chart.Name .Values.nameOverride }}
{{- if contains $name .Release.Name }}
{{- .Release.Name | trunc 63 | trimSuffix "-" }}
{{- else }}
{{- printf "%s-%s" .Release.Name $name | trunc 63 | trimSuffix "-" }}
{{- end }}
{{- end }}
{{- end }}

{{- define "jwt-secret-operator.chart" -}}
{{- printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" }}
{{- end }}

{{- define "jwt-secret-operator.selectorLabels" -}}
app.kubernetes.io/name: {{ include "jwt-secret-operator.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end }}

{{- define "jwt-secret-operator.labels" -}}
helm.sh/chart: {{ include "jwt-secret-operator.chart" . }}
{{ include "jwt-secret-operator.selectorLabels" . }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
app.kubernetes.io/component: operator
{{- end }}

{{- define "jwt-secret-operator.serviceAccountName" -}}
{{- if .Values.serviceAccount.create }}
{{- default (include "jwt-secret-operator.fullname" .) .Values.serviceAccount.name }}
{{- else }}
{{- required "serviceAccount.name is required when serviceAccount.create is false" .Values.serviceAccount.name }}
{{- end }}
{{- end }}

{{/* The job label Prometheus gives the operator's targets: the Service's name, or namespace/name of the PodMonitor. */}}
{{- define "jwt-secret-operator.scrapeJob" -}}
{{- if and .Values.podMonitor.enabled (not .Values.serviceMonitor.enabled) }}
{{- printf "%s/%s" .Release.Namespace (include "jwt-secret-operator.fullname" .) }}
{{- else }}
{{- printf "%s-metrics" (include "jwt-secret-operator.fullname" .) }}
{{- end }}
{{- end }}

{{- define "jwt-secret-operator.image" -}}
{{- printf "%s:%s" .Values.image.repository (default .Chart.AppVersion (toString .Values.image.tag)) }}
{{- end }}

{{/*
RBAC rules for the watched namespaces: the same in the ClusterRole (all namespaces) and
in each namespace's Role. They mirror io.photoapp.jwt.ops.ApiPermissions.WATCHED_NAMESPACES
(and ARGO_ROLLOUTS with argoRollouts.enabled);
ChartTest fails when the two differ.
Note: RBAC cannot narrow list/watch on Secrets (or ConfigMaps) by label. The operator's
informers select jwt.photoapp.io/managed=true, which narrows only what they cache.
*/}}
{{- define "jwt-secret-operator.watchedRules" -}}
- apiGroups: [""]
  resources: ["secrets"]
  verbs: ["get", "list", "watch", "create", "patch"]
- apiGroups: [""]
  resources: ["configmaps"]
  verbs: ["get", "list", "watch", "create", "patch"]
- apiGroups: ["jwt.photoapp.io"]
  resources: ["jwtsecrets"]
  verbs: ["get", "list", "watch", "patch", "update"]
- apiGroups: ["jwt.photoapp.io"]
  resources: ["jwtsecrets/status"]
  verbs: ["patch", "update"]
- apiGroups: ["jwt.photoapp.io"]
  resources: ["jwtsecrets/finalizers"]
  verbs: ["update"]
- apiGroups: ["apps"]
  resources: ["deployments", "statefulsets", "daemonsets"]
  verbs: ["get", "list", "watch", "patch"]
{{- if .Values.argoRollouts.enabled }}
- apiGroups: ["argoproj.io"]
  resources: ["rollouts"]
  verbs: ["get", "list", "watch", "patch"]
{{- end }}
- apiGroups: [""]
  resources: ["events"]
  verbs: ["get", "create", "patch"]
- apiGroups: [""]
  resources: ["configmaps"]
  verbs: ["get"]
- apiGroups: ["jwt.photoapp.io"]
  resources: ["jwtsecretstores"]
  verbs: ["get", "list", "watch"]
- apiGroups: ["jwt.photoapp.io"]
  resources: ["jwtsecretstores/status"]
  verbs: ["patch"]
- apiGroups: [""]
  resources: ["serviceaccounts/token"]
  {{- with .Values.stores.serviceAccountNames }}
  resourceNames:
    {{- toYaml . | nindent 4 }}
  {{- end }}
  verbs: ["create"]
{{- end }}

{{/*
Mirrors ApiPermissions.CLUSTER_STORES: ClusterJwtSecretStores are cluster-scoped.
*/}}
{{- define "jwt-secret-operator.clusterStoreRules" -}}
- apiGroups: ["jwt.photoapp.io"]
  resources: ["clusterjwtsecretstores"]
  verbs: ["get", "list", "watch"]
- apiGroups: ["jwt.photoapp.io"]
  resources: ["clusterjwtsecretstores/status"]
  verbs: ["patch"]
{{- end }}

{{/*
Mirrors ApiPermissions.NAMESPACE_READ: the namespace label jwt.photoapp.io/minimum-environment,
watched. With resourceNames, list and watch are allowed only with a metadata.name field selector,
which is how the operator watches each namespace of watchNamespaces.
*/}}
{{- define "jwt-secret-operator.namespaceRules" -}}
- apiGroups: [""]
  resources: ["namespaces"]
  {{- with .Values.watchNamespaces }}
  resourceNames:
    {{- toYaml . | nindent 4 }}
  {{- end }}
  verbs: ["get", "list", "watch"]
{{- end }}

{{/*
Mirrors ApiPermissions.LEADER_ELECTION. RBAC cannot limit create by name, but get, update
and patch (renewals are merge patches) are limited to the operator's own Lease.
*/}}
{{- define "jwt-secret-operator.leaderElectionRules" -}}
- apiGroups: ["coordination.k8s.io"]
  resources: ["leases"]
  verbs: ["create"]
- apiGroups: ["coordination.k8s.io"]
  resources: ["leases"]
  resourceNames: [{{ .Values.leaderElection.leaseName | quote }}]
  verbs: ["get", "update", "patch"]
{{- end }}
