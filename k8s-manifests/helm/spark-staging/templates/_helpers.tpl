{{/* The objects' name: RELEASE-server, so that `helm install spark-staging` names them as the kustomize base does. */}}
{{- define "spark-staging.fullname" -}}
{{- printf "%s-server" .Release.Name | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{- define "spark-staging.selectorLabels" -}}
app.kubernetes.io/name: spark-staging-server
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/component: server
{{- end -}}

{{- define "spark-staging.labels" -}}
{{ include "spark-staging.selectorLabels" . }}
app.kubernetes.io/part-of: spark-staging
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" }}
{{- end -}}

{{- define "spark-staging.scheme" -}}
{{- if .Values.tls.enabled }}https{{ else }}http{{ end -}}
{{- end -}}
