import java.io.*;
public class Main{public static void main(String[] a)throws IOException{DataInputStream d=new DataInputStream(new BufferedInputStream(System.in,65536));long[] h=new long[2];int n=0,q=0;long[] p=null;StringBuilder s=new StringBuilder();int k=0,c;long v=0;boolean g=false,m=false;long x=0;
while(true){c=d.read();if(c==45){m=true;}else if(c>=48&&c<=57){v=v*10+c-48;g=true;}else{if(g){long w=m?-v:v;if(k<2){h[k]=w;if(k==1){n=(int)h[0];q=(int)h[1];p=new long[n+1];}}else if(k<2+n){p[k-1]=p[k-2]+w;}else{if((k-n)%2==0){x=w;}else{if(x>0){if(w>=x){s.append(p[(int)w]-p[(int)x-1]).append('\n');}}}}k++;}v=0;g=false;m=false;if(c<0)break;}}
System.out.print(s);}}
