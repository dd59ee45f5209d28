@echo off
rem spark-staging: the submit client's command on Windows. SPARK_STAGING_JAVA_OPTS adds JVM options.
setlocal
set "JAVA=java"
if defined JAVA_HOME set "JAVA=%JAVA_HOME%\bin\java"
"%JAVA%" %SPARK_STAGING_JAVA_OPTS% -jar "%~dp0..\lib\submit-client.jar" %*
