/* The tools of the multi-call binary; each front end defines one of these. */
#ifndef CMD_TOOLS_H
#define CMD_TOOLS_H

int vpn_probe_main(int argc, char **argv);
int vpn_aws_main(int argc, char **argv);
int vpn_logs_main(int argc, char **argv);
int vpn_ike_main(int argc, char **argv);
int vpn_routes_main(int argc, char **argv);
int vpn_srcip_main(int argc, char **argv);
int vpn_doctor_main(int argc, char **argv);
int vpn_policy_main(int argc, char **argv);
int vpn_mtu_main(int argc, char **argv);

#endif
